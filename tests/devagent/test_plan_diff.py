"""diff_jobs: Nomad's JobDiff structure for the changes the deployer plans (pure, no Consul)."""

import copy
from pathlib import Path

import pytest

from devagent.admission.pipeline import to_structs
from devagent.admission.structs_canonicalize import canonicalize_job
from devagent.jobspec import parse_jobspec
from devagent.plan_diff import annotate_diff, diff_jobs

DATA = Path(__file__).parent / "data"
HCL = (DATA / "mesh-invoice.nomad.hcl").read_text()


def job(text=HCL):
    """The job as the server holds it after its canonicalize mutator (the diff compares structs jobs)."""
    out = to_structs(parse_jobspec(text))
    canonicalize_job(out)
    return out


def find(objects, name):
    """The one object diff called `name` in a list of them."""
    matches = [o for o in objects or [] if o["Name"] == name]
    assert len(matches) == 1, f"expected one {name!r} in {[o['Name'] for o in objects or []]}"
    return matches[0]


def field(diff, name):
    matches = [f for f in diff["Fields"] or [] if f["Name"] == name]
    assert len(matches) == 1, f"expected one field {name!r} in {[f['Name'] for f in diff['Fields'] or []]}"
    return matches[0]


def test_equal_jobs_diff_to_none():
    diff = diff_jobs(job(), job())
    assert diff["Type"] == "None" and diff["ID"] == "invoice"
    assert diff["Fields"] is None and diff["Objects"] is None
    assert [g["Type"] for g in diff["TaskGroups"]] == ["None"]


def test_ignored_fields_do_not_make_a_diff():
    old, new = job(), job()
    new.update(Version=7, ModifyIndex=99, CreateIndex=3, JobModifyIndex=99, Status="running", SubmitTime=123,
               Stable=True, StatusDescription="x")
    assert diff_jobs(old, new)["Type"] == "None"


def test_new_job_is_added_with_its_fields():
    diff = diff_jobs(None, job())
    assert diff["Type"] == "Added" and diff["ID"] == "invoice"
    assert field(diff, "Name") == {"Type": "Added", "Name": "Name", "Old": "", "New": "invoice", "Annotations": None}
    assert field(diff, "Meta[managed_by]")["New"] == "deployer"
    group = diff["TaskGroups"][0]
    assert group["Type"] == "Added" and group["Name"] == "invoice"
    assert group["Tasks"][0]["Type"] == "Added"


def test_removed_job_is_deleted():
    diff = diff_jobs(job(), None)
    assert diff["Type"] == "Deleted"
    assert diff["TaskGroups"][0]["Type"] == "Deleted"


def test_changed_count_is_a_group_field_annotated_by_the_scheduler():
    new = job(HCL.replace("count = 1", "count = 3"))
    diff = diff_jobs(job(), new)
    assert diff["Type"] == "Edited"
    group = diff["TaskGroups"][0]
    assert group["Type"] == "Edited"
    assert field(group, "Count") == {"Type": "Edited", "Name": "Count", "Old": "1", "New": "3", "Annotations": None}
    annotate_diff(diff, {"invoice": {"Place": 2, "Ignore": 1}})
    assert field(group, "Count")["Annotations"] == ["forces create"]
    assert group["Updates"] == {"create": 2, "ignore": 1}


def test_changed_env_var_is_a_task_field():
    new = job(HCL.replace('PYTHONUNBUFFERED = "1"', 'PYTHONUNBUFFERED = "0"'))
    diff = annotate_diff(diff_jobs(job(), new))
    task = diff["TaskGroups"][0]["Tasks"][0]
    assert task["Type"] == "Edited" and task["Name"] == "invoice"
    assert field(task, "Env[PYTHONUNBUFFERED]") == {
        "Type": "Edited", "Name": "Env[PYTHONUNBUFFERED]", "Old": "1", "New": "0", "Annotations": None}
    assert task["Annotations"] == ["forces create/destroy update"]


def test_added_env_var_is_an_added_field():
    new = job(HCL.replace('PYTHONUNBUFFERED = "1"', 'PYTHONUNBUFFERED = "1"\n LOG_LEVEL = "debug"'))
    task = diff_jobs(job(), new)["TaskGroups"][0]["Tasks"][0]
    assert field(task, "Env[LOG_LEVEL]") == {"Type": "Added", "Name": "Env[LOG_LEVEL]", "Old": "", "New": "debug",
                                             "Annotations": None}


def test_changed_image_is_a_config_object_field():
    docker = HCL.replace('driver = "raw_exec"', 'driver = "docker"').replace(
        'command = "/usr/bin/python3"', 'image = "invoice:1"')
    diff = diff_jobs(job(docker), job(docker.replace("invoice:1", "invoice:2")))
    config = find(diff["TaskGroups"][0]["Tasks"][0]["Objects"], "Config")
    assert config["Type"] == "Edited"
    assert field(config, "image") == {"Type": "Edited", "Name": "image", "Old": "invoice:1", "New": "invoice:2",
                                      "Annotations": None}


def test_changed_args_are_indexed_config_fields():
    new = job(HCL.replace('"--port", "${NOMAD_PORT_http}"', '"--port", "8080"'))
    config = find(diff_jobs(job(), new)["TaskGroups"][0]["Tasks"][0]["Objects"], "Config")
    assert field(config, "args[3]")["Old"] == "${NOMAD_PORT_http}"
    assert field(config, "args[3]")["New"] == "8080"


def test_added_upstream_is_an_added_consul_upstreams_object():
    new = job(HCL.replace(
        "local_bind_port  = 9191\n            }",
        'local_bind_port  = 9191\n            }\n            upstreams {\n'
        '              destination_name = "audit"\n              local_bind_port  = 9292\n            }'))
    group = diff_jobs(job(), new)["TaskGroups"][0]
    service = find(group["Objects"], "Service")
    assert service["Type"] == "Edited"
    proxy = find(find(find(service["Objects"], "ConsulConnect")["Objects"], "SidecarService")["Objects"],
                 "ConsulProxy")
    upstream = find(proxy["Objects"], "ConsulUpstreams")
    assert upstream["Type"] == "Added"
    assert field(upstream, "DestinationName")["New"] == "audit"
    assert field(upstream, "LocalBindPort")["New"] == "9292"


def test_new_group_is_an_added_group_with_added_tasks():
    extra = HCL.replace('group "invoice"', 'group "worker"').split('group "worker"', 1)[1]
    two_groups = HCL.rstrip().rstrip("}") + 'group "worker"' + extra
    diff = annotate_diff(diff_jobs(job(), job(two_groups)))
    assert diff["Type"] == "Edited"
    assert [(g["Name"], g["Type"]) for g in diff["TaskGroups"]] == [("invoice", "None"), ("worker", "Added")]
    worker = diff["TaskGroups"][1]
    assert field(worker, "Count") == {"Type": "Added", "Name": "Count", "Old": "", "New": "1",
                                      "Annotations": ["forces create"]}
    assert worker["Tasks"][0]["Type"] == "Added" and worker["Tasks"][0]["Annotations"] == ["forces create"]


def test_tags_are_a_string_set_diff():
    new = job(HCL.replace('tags = ["mesh", "invoice"]', 'tags = ["mesh", "billing"]'))
    service = find(diff_jobs(job(), new)["TaskGroups"][0]["Objects"], "Service")
    tags = find(service["Objects"], "Tags")
    assert tags["Type"] == "Edited"
    assert [(f["Type"], f["Old"], f["New"]) for f in tags["Fields"]] == [("Added", "", "billing"),
                                                                        ("Deleted", "invoice", "")]


def test_changed_check_and_update_and_network():
    new = job(HCL.replace('path     = "/health"', 'path     = "/ready"')
              .replace('min_healthy_time  = "1s"', 'min_healthy_time  = "5s"')
              .replace("to = 5002", "to = 5003"))
    group = diff_jobs(job(), new)["TaskGroups"][0]
    check = find(find(group["Objects"], "Service")["Objects"], "Check")
    assert field(check, "Path")["Old"] == "/health" and field(check, "Path")["New"] == "/ready"
    update = find(group["Objects"], "Update")
    assert field(update, "MinHealthyTime") == {"Type": "Edited", "Name": "MinHealthyTime", "Old": "1000000000",
                                               "New": "5000000000", "Annotations": None}
    networks = [o for o in group["Objects"] if o["Name"] == "Network"]
    assert sorted(n["Type"] for n in networks) == ["Added", "Deleted"]
    added = next(n for n in networks if n["Type"] == "Added")
    port = find(added["Objects"], "Dynamic Port")
    assert field(port, "To")["New"] == "5003" and field(port, "Label")["New"] == "http"


def test_only_a_service_change_is_an_in_place_update():
    old, new = job(), job()
    new["TaskGroups"][0]["Tasks"][0]["Services"] = [{"Name": "extra", "PortLabel": "http"}]
    old["TaskGroups"][0]["Tasks"][0]["KillTimeout"] = 1
    diff = annotate_diff(diff_jobs(old, new))
    task = diff["TaskGroups"][0]["Tasks"][0]
    assert {f["Name"] for f in task["Fields"]} == {"KillTimeout"}
    assert task["Annotations"] == ["forces in-place update"]


def test_contextual_diff_includes_unchanged_fields_of_changed_objects():
    new = job(HCL.replace('path     = "/health"', 'path     = "/ready"'))
    check = find(find(diff_jobs(job(), new, contextual=True)["TaskGroups"][0]["Objects"], "Service")["Objects"],
                 "Check")
    assert field(check, "Type") == {"Type": "None", "Name": "Type", "Old": "http", "New": "http",
                                    "Annotations": None}
    plain = find(find(diff_jobs(job(), new)["TaskGroups"][0]["Objects"], "Service")["Objects"], "Check")
    assert [f["Name"] for f in plain["Fields"]] == ["Path"]


def test_jobs_with_different_ids_cannot_be_diffed():
    other = job()
    other["ID"] = "other"
    with pytest.raises(ValueError, match="different IDs"):
        diff_jobs(job(), other)


def test_diff_does_not_modify_its_inputs():
    old, new = job(), job(HCL.replace("count = 1", "count = 2"))
    before = (copy.deepcopy(old), copy.deepcopy(new))
    diff_jobs(old, new)
    assert (old, new) == before
