"""The functions jobspec2 registers for HCL expressions (jobspec2/functions.go), in Python.

Each takes and returns hcl_values values. Functions that need the file system fail as
Nomad's parse endpoint makes them fail (AllowFS is false there); the few that devagent
does not implement fail with a message saying so, never silently.
"""

import base64
import csv
import hashlib
import io
import ipaddress
import json
import math
import re
import urllib.parse
import uuid

from devagent.durations import parse_go_duration

from . import hcl_values as V
from .hcl_eval import FunctionError, evaluate
from .hcl_values import ConversionError
from .errors import JobspecError


def _argument(convert, value, param):
    """value through an hcl_values conversion, with cty's words for a function argument that will not do."""
    try:
        converted = convert(value)
    except ConversionError as exc:
        raise ConversionError(f'Invalid value for "{param}" parameter: {exc}.') from None
    if converted is None:
        raise ConversionError(f'Invalid value for "{param}" parameter: argument must not be null.')
    return converted


def _str(value, param="str"):
    return _argument(V.to_string, value, param)


def _num(value, param="num"):
    return _argument(V.to_number, value, param)


def _int(value, param="num"):
    number = _num(value, param)
    if number != int(number):
        raise ConversionError(f'Invalid value for "{param}" parameter: value must be a whole number.')
    return int(number)


def _list(value, param="list"):
    if not isinstance(value, list):
        raise ConversionError(f'Invalid value for "{param}" parameter: list of any single type required.')
    return value


def _map(value, param="inputMap"):
    if not isinstance(value, dict):
        raise ConversionError(f'Invalid value for "{param}" parameter: map of any single type required.')
    return value


# numbers
def _abs(num):
    return abs(_num(num))


def _ceil(num):
    return math.ceil(_num(num))


def _floor(num):
    return math.floor(_num(num))


def _log(num, base):
    return V.number(_go_log(_num(num)) / _go_log(_num(base, "base")))


def _go_log(value: float) -> float:
    """Go's math.Log: -Inf at zero (Python raises), Inf at Inf."""
    if value == 0:
        return -math.inf
    if value < 0:
        raise FunctionError("cannot take the logarithm of a negative number")
    return math.log(value)


def _pow(num, power):
    return V.number(_num(num) ** _num(power, "power"))


def _signum(num):
    number = _num(num)
    return (number > 0) - (number < 0)


def _parseint(number, base):
    base = _int(base, "base")
    text = _str(number, "number")
    try:
        return int(text, base)
    except ValueError:
        raise FunctionError(f"cannot parse {text!r} as a base {base} integer".replace("'", '"')) from None


def _min(*numbers):
    if not numbers:
        raise FunctionError("must pass at least one number")
    return min(_num(n, "numbers") for n in numbers)


def _max(*numbers):
    if not numbers:
        raise FunctionError("must pass at least one number")
    return max(_num(n, "numbers") for n in numbers)


# strings
def _chomp(text):
    return re.sub(r"(\r\n|\n|\r)+\Z", "", _str(text))


def _indent(spaces, text):
    pad = " " * _int(spaces, "spaces")
    return text if text is None else _str(text).replace("\n", "\n" + pad)


def _join(separator, *lists):
    items = []
    for value in lists:
        for item in _list(value, "lists"):
            if item is None:
                raise FunctionError("element is null; cannot concatenate null values")
            items.append(_str(item, "lists"))
    return _str(separator, "separator").join(items)


def _split(separator, text):
    separator, text = _str(separator, "separator"), _str(text)
    return list(text) if separator == "" else text.split(separator)  # Go's strings.Split: "" splits characters


def _replace(text, substr, replacement):
    return _str(text).replace(_str(substr, "substr"), _str(replacement, "replace"))


def _regex_replace(text, pattern, replacement):
    try:
        compiled = re.compile(_str(pattern, "substr"))
    except re.error as exc:
        raise FunctionError(f"invalid regexp: {exc}") from None
    template = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: "\\g<" + (m.group(1) or m.group(2)) + ">",
                      _str(replacement, "replace"))
    return compiled.sub(template, _str(text))


def _substr(text, offset, length):
    text, offset, length = _str(text), _int(offset, "offset"), _int(length, "length")
    if offset < 0:
        offset = max(len(text) + offset, 0)
    if offset > len(text):
        raise FunctionError("offset cannot be larger than the length of the string")
    return text[offset:] if length < 0 else text[offset:offset + length]


def _title(text):
    return re.sub(r"(^|(?<=\s))(\w)", lambda m: m.group(1) + m.group(2).upper(), _str(text))


def _trim(text, cutset):
    return _str(text).strip(_str(cutset, "cutset"))


def _trimprefix(text, prefix):
    text, prefix = _str(text), _str(prefix, "prefix")
    return text[len(prefix):] if prefix and text.startswith(prefix) else text


def _trimsuffix(text, suffix):
    text, suffix = _str(text), _str(suffix, "suffix")
    return text[:-len(suffix)] if suffix and text.endswith(suffix) else text


def _format(fmt, *args):
    return _go_format(_str(fmt, "format"), list(args))


_VERB = re.compile(r"%([-+# 0]*)(\d+|\*)?(?:\.(\d+))?(\[\d+\])?([a-zA-Z%])")


def _go_format(fmt, args):
    """cty's format(): Go-style verbs (%s %d %f %q %t %v %x %e %g, widths, flags)."""
    out = []
    pos = 0
    index = 0
    for match in _VERB.finditer(fmt):
        out.append(fmt[pos:match.start()])
        pos = match.end()
        flags, width, precision, explicit, verb = match.groups()
        if verb == "%":
            out.append("%")
            continue
        if explicit:
            index = int(explicit[1:-1]) - 1
        if index >= len(args):
            raise FunctionError(f"not enough arguments for %{verb} at {match.start()}")
        value = args[index]
        index += 1
        try:
            out.append(_format_one(flags, width, precision, verb, value))
        except _Unsupported as exc:
            raise FunctionError(f'unsupported value for "{match.group(0)}" at {match.start()}: {exc}') from None
    out.append(fmt[pos:])
    if index < len(args):
        raise FunctionError(f"too many arguments; only {index} used by format string")
    return "".join(out)


class _Unsupported(Exception):
    """A value a verb cannot format; format() names the verb and where it is."""


def _format_one(flags, width, precision, verb, value):
    if verb == "v" and "#" in flags:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)  # %#v: the value as JSON
    elif verb in ("v", "s"):
        text = _v(value) if verb == "v" or not isinstance(value, (str, int, float, bool)) else V.to_string(value)
        if verb == "s" and not isinstance(value, (str, int, float, bool)):
            raise _Unsupported("string required")
    elif verb == "q":
        text = json.dumps(_str(value, "args"))
    elif verb == "t":
        text = "true" if V.to_bool(value) else "false"
    elif verb in ("d", "b", "o", "x", "X", "e", "E", "f", "F", "g", "G"):
        number = _num(value, "args")
        if verb in ("d", "b", "o") and number != int(number):
            raise _Unsupported("an integer is required")
        if verb == "d":
            text = str(int(number))
        elif verb == "b":
            text = format(int(number), "b")
        elif verb == "o":
            text = format(int(number), "o")
        elif verb in ("x", "X"):
            text = format(int(number), verb)
        else:
            spec = f".{precision}{verb.lower() if verb == 'F' else verb}" if precision else (
                ".6f" if verb in "fF" else ".6" + verb if verb in "eE" else "")
            text = format(number, spec) if spec else V.format_number(number)
        if "+" in flags and number >= 0:
            text = "+" + text
    else:
        raise FunctionError(f"unsupported format verb %{verb}")
    if width and width != "*":
        pad = "0" if "0" in flags and "-" not in flags and verb not in "sqvt" else " "
        text = text.ljust(int(width)) if "-" in flags else text.rjust(int(width), pad)
    return text


def _v(value):
    if isinstance(value, str):
        return value
    if isinstance(value, (list, dict)):
        return _jsonencode(value)
    return V.to_string(value) if value is not None else "null"


def _formatlist(fmt, *args):
    lengths = {len(a) for a in args if isinstance(a, list)}
    if len(lengths) > 1:
        raise FunctionError("all list arguments must have the same length")
    count = lengths.pop() if lengths else 1
    return [_go_format(_str(fmt, "format"), [a[i] if isinstance(a, list) else a for a in args]) for i in range(count)]


def _strlen(text):
    return len(_str(text))


def _strrev(text):
    return _str(text)[::-1]


# collections
def _chunklist(items, size):
    items, size = _list(items), _int(size, "size")
    if size < 0:
        raise FunctionError("the size argument must be positive")
    if size == 0:
        return [items]
    return [items[i:i + size] for i in range(0, len(items), size)]


def _coalesce(*values):
    for value in values:
        if value is not None and value != "":
            return value
    raise FunctionError("no non-null, non-empty-string arguments")


def _coalescelist(*lists):
    for value in lists:
        if _list(value, "vals"):
            return value
    raise FunctionError("no non-null arguments")


def _compact(items):
    return [_str(item, "list") for item in _list(items) if item is not None and item != ""]


def _concat(*lists):
    out = []
    for value in lists:
        out.extend(_list(value, "seqs"))
    return out


def _contains(items, value):
    return any(V.equal(item, value) for item in _list(items))


def _distinct(items):
    out = []
    for item in _list(items):
        if not any(V.equal(item, seen) for seen in out):
            out.append(item)
    return out


def _element(items, index):
    items, index = _list(items), _int(index, "index")
    if not items:
        raise FunctionError("cannot use element function with an empty list")
    if index < 0:
        raise FunctionError("cannot use element function with a negative index")
    return items[index % len(items)]


def _flatten(items):
    out = []
    for item in _list(items):
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def _index(items, value):
    for position, item in enumerate(_list(items)):
        if V.equal(item, value):
            return position
    raise FunctionError("item not found")


def _keys(value):
    return sorted(_map(value))


def _values(value):
    return [item for _, item in V.sorted_items(_map(value, "mapping"))]


def _length(value):
    if isinstance(value, (list, dict)):
        return len(value)
    if isinstance(value, str):
        return len(value)
    raise ConversionError('Invalid value for "value" parameter: collection or structural type is required.')


def _lookup(mapping, key, *default):
    mapping, key = _map(mapping), _str(key, "key")
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise FunctionError(f'lookup failed to find key "{key}"')


def _merge(*maps):
    out = {}
    for value in maps:
        if value is None:
            continue
        out.update(_map(value, "maps"))
    return out


def _range(*args):
    numbers = [_num(a, "params") for a in args]
    if len(numbers) == 1:
        start, end, step = 0, numbers[0], 1
    elif len(numbers) == 2:
        start, end, step = numbers[0], numbers[1], 1 if numbers[1] >= numbers[0] else -1
    elif len(numbers) == 3:
        start, end, step = numbers
    else:
        raise FunctionError("must have one, two, or three arguments")
    if step == 0:
        raise FunctionError("step must not be zero")
    out = []
    current = start
    while (current < end) if step > 0 else (current > end):
        out.append(V.number(current))
        current += step
        if len(out) > 1024:
            raise FunctionError("more than 1024 values were generated; either decrease the difference between "
                                "start and end or use a smaller step")
    return out


def _setintersection(first, *others):
    return [item for item in _distinct(first) if all(any(V.equal(item, o) for o in _list(other, "other_sets"))
                                                     for other in others)]


def _setunion(first, *others):
    return _distinct(_concat(first, *others))


def _setproduct(*sets):
    out = [[]]
    for value in sets:
        out = [prefix + [item] for prefix in out for item in _list(value, "sets")]
    return out if sets else []


def _slice(items, start, end):
    items, start, end = _list(items), _int(start, "start_index"), _int(end, "end_index")
    if start < 0 or end > len(items) or start > end:
        raise FunctionError("the start and end indexes must satisfy 0 <= start <= end <= length")
    return items[start:end]


def _sort(items):
    return sorted(_str(item, "list") for item in _list(items))


def _zipmap(keys, values):
    keys, values = _list(keys, "keys"), _list(values, "values")
    if len(keys) != len(values):
        raise FunctionError("number of keys and values must be equal")
    return {_str(k, "keys"): v for k, v in zip(keys, values)}


# encodings
def _jsonencode(value):
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _jsondecode(text):
    try:
        return _numbers(json.loads(_str(text)))
    except json.JSONDecodeError as exc:
        raise FunctionError(f"invalid JSON: {exc.msg}") from None


def _numbers(value):
    if isinstance(value, float):
        return V.number(value)
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    return value


def _csvdecode(text):
    rows = list(csv.reader(io.StringIO(_str(text))))
    if not rows:
        raise FunctionError("missing header line")
    header = rows[0]
    return [dict(zip(header, row)) for row in rows[1:]]


def _yamldecode(text):
    import yaml

    try:
        return _numbers(yaml.safe_load(_str(text)))
    except yaml.YAMLError as exc:
        raise FunctionError(f"on line {getattr(getattr(exc, 'problem_mark', None), 'line', 0) + 1}: {exc}") from None


def _yamlencode(value):
    import yaml

    return yaml.safe_dump(value, default_flow_style=False, sort_keys=True)


def _base64encode(text):
    return base64.b64encode(_str(text).encode()).decode()


def _base64decode(text):
    try:
        decoded = base64.b64decode(_str(text), validate=True)
        return decoded.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise FunctionError("failed to decode base64 data") from None


def _urlencode(text):
    return urllib.parse.quote_plus(_str(text))


def _hash(name):
    def digest(text):
        return hashlib.new(name, _str(text).encode()).hexdigest()

    return digest


def _uuidv4():
    return str(uuid.uuid4())


def _uuidv5(namespace, name):
    spaces = {"dns": uuid.NAMESPACE_DNS, "url": uuid.NAMESPACE_URL, "oid": uuid.NAMESPACE_OID,
              "x500": uuid.NAMESPACE_X500}
    space = spaces.get(_str(namespace, "namespace"))
    if space is None:
        try:
            space = uuid.UUID(namespace)
        except ValueError:
            raise FunctionError("uuidv5() doesn't support namespace " + namespace) from None
    return str(uuid.uuid5(space, _str(name, "name")))


# networks
def _cidrhost(prefix, hostnum):
    network = _network(prefix)
    number = _int(hostnum, "hostnum")
    size = network.num_addresses
    if number < 0:
        number += size
    if not 0 <= number < size:
        raise FunctionError(f"prefix of {network.prefixlen} does not accommodate a host numbered {hostnum}")
    return str(network.network_address + number)


def _cidrnetmask(prefix):
    network = _network(prefix)
    if network.version != 4:
        raise FunctionError("only IPv4 networks are supported")
    return str(network.netmask)


def _cidrsubnet(prefix, newbits, netnum):
    network = _network(prefix)
    newbits, netnum = _int(newbits, "newbits"), _int(netnum, "netnum")
    new_prefix = network.prefixlen + newbits
    if new_prefix > network.max_prefixlen:
        raise FunctionError(f"insufficient address space to extend prefix of {network.prefixlen} by {newbits}")
    if not 0 <= netnum < 2 ** newbits:
        raise FunctionError(f"prefix extension of {newbits} does not accommodate a subnet numbered {netnum}")
    step = 2 ** (network.max_prefixlen - new_prefix)
    address = network.network_address + netnum * step
    return f"{address}/{new_prefix}"


def _cidrsubnets(prefix, *newbits):
    network = _network(prefix)
    out = []
    current = int(network.network_address)
    for bits in newbits:
        length = network.prefixlen + _int(bits, "newbits")
        size = 2 ** (network.max_prefixlen - length)
        current = (current + size - 1) // size * size
        subnet = ipaddress.ip_network((current, length))
        if not subnet.subnet_of(network):
            raise FunctionError("not enough remaining address space for a subnet with a prefix of "
                                f"{length} bits after {out[-1] if out else prefix}")
        out.append(str(subnet))
        current += size
    return out


def _network(prefix):
    try:
        return ipaddress.ip_network(_str(prefix, "prefix"), strict=False)
    except ValueError as exc:
        raise FunctionError(f"invalid CIDR expression: {exc}") from None


# special forms: their arguments are evaluated by the function itself
def _try(scope, exprs):
    if not exprs:
        raise FunctionError("at least one argument is required", "Invalid function argument")
    for expr in exprs:
        try:
            return evaluate(expr, scope)
        except JobspecError:
            continue
    raise FunctionError("no expression succeeded", "Error in function call")


def _can(scope, exprs):
    if len(exprs) != 1:
        raise FunctionError("can() takes exactly one argument", "Invalid function argument")
    try:
        evaluate(exprs[0], scope)
    except JobspecError:
        return False
    return True


_try.lazy = True
_can.lazy = True


def _convert(scope, exprs):
    """typeexpr's convert(value, type): the second argument is a type expression, not a value."""
    from .decoder import Decoder
    from .variables import type_converter

    if len(exprs) != 2:
        raise FunctionError("convert() takes exactly two arguments", "Invalid function argument")
    converter = type_converter(Decoder(scope.source), exprs[1], constraint=True)
    try:
        return converter(evaluate(exprs[0], scope))
    except ConversionError as exc:
        raise FunctionError(f'Invalid value for "value" parameter: {exc}.', "Invalid function argument") from None


_convert.lazy = True

_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\Z")


def _timestamp(text, param="timestamp"):
    """cty's parseTimestamp: strict RFC 3339 (a 'T', seconds, an upper-case Z or an offset)."""
    from datetime import datetime

    value = _str(text, param)
    if not _RFC3339.match(value):
        if re.match(r"\d{4}-\d{2}-\d{2}(?!T)", value):
            raise FunctionError("not a valid RFC3339 timestamp: missing required time introducer 'T'")
        raise FunctionError(f'not a valid RFC3339 timestamp: cannot use "{value}" as year')
    fraction = re.search(r"\.(\d+)", value)
    normal = value if fraction is None else value.replace(fraction.group(0), "." + fraction.group(1)[:6].ljust(6, "0"))
    try:
        return datetime.fromisoformat(normal.replace("Z", "+00:00"))
    except ValueError as exc:
        raise FunctionError(f"not a valid RFC3339 timestamp: {exc}") from None


_DATE_TOKEN = re.compile(r"''|'(?:[^']|'')*'?|([A-Za-z])\1*|[^A-Za-z']+")


def _formatdate(spec, timestamp):
    """cty's formatdate: every ASCII letter run is a verb, '...' a literal ('' a quote)."""
    try:
        moment = _timestamp(timestamp, "time")
    except FunctionError as exc:
        raise FunctionError(f'Invalid value for "time" parameter: {exc.detail}.', "Invalid function argument") from None
    out = []
    for match in _DATE_TOKEN.finditer(_str(spec, "format")):
        token = match.group(0)
        try:
            out.append(_date_token(token, moment))
        except ValueError as exc:
            raise FunctionError(f'Invalid value for "format" parameter: {exc}.', "Invalid function argument") from None
    return "".join(out)


def _date_token(token, moment):
    """One token of a formatdate spec, formatted."""
    if token == "''":
        return "'"
    if token.startswith("'"):
        if len(token) == 1 or not token.endswith("'"):
            raise ValueError("unterminated literal '")
        return token[1:-1].replace("''", "'")
    if not token[0].isascii() or not token[0].isalpha():
        return token
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign, (hours, mins) = "+" if minutes >= 0 else "-", divmod(abs(minutes), 60)
    hour12 = (moment.hour % 12) or 12
    forms = {
        "Y": ({2: f"{moment.year % 100:02d}", 4: f"{moment.year:04d}"}, 'year must either be "YY" or "YYYY"'),
        "M": ({1: str(moment.month), 2: f"{moment.month:02d}", 3: moment.strftime("%b"), 4: moment.strftime("%B")},
              'month must be "M", "MM", "MMM", or "MMMM"'),
        "D": ({1: str(moment.day), 2: f"{moment.day:02d}"}, 'day of month must either be "D" or "DD"'),
        "E": ({3: moment.strftime("%a"), 4: moment.strftime("%A")}, 'day of week must either be "EEE" or "EEEE"'),
        "h": ({1: str(moment.hour), 2: f"{moment.hour:02d}"}, '24-hour must either be "h" or "hh"'),
        "H": ({1: str(hour12), 2: f"{hour12:02d}"}, '12-hour must either be "H" or "HH"'),
        "A": ({2: "AM" if moment.hour < 12 else "PM"}, 'must be "AA"'),
        "a": ({2: "am" if moment.hour < 12 else "pm"}, 'must be "aa"'),
        "m": ({1: str(moment.minute), 2: f"{moment.minute:02d}"}, 'minute must either be "m" or "mm"'),
        "s": ({1: str(moment.second), 2: f"{moment.second:02d}"}, 'second must either be "s" or "ss"'),
        "Z": ({1: "Z" if minutes == 0 else f"{sign}{hours:02d}:{mins:02d}",
               3: "UTC" if minutes == 0 else f"{sign}{hours:02d}{mins:02d}", 4: f"{sign}{hours:02d}{mins:02d}",
               5: f"{sign}{hours:02d}:{mins:02d}"}, "timezone must be Z, ZZZZ, or ZZZZZ"),
    }
    if token[0] not in forms:
        raise ValueError(f'invalid date format verb "{token}"')
    lengths, rule = forms[token[0]]
    if len(token) not in lengths:
        raise ValueError(f'invalid date format verb "{token}": {rule}')
    return lengths[len(token)]


def _timeadd(timestamp, duration):
    from datetime import timedelta

    moment = _timestamp(timestamp)
    try:
        nanoseconds = parse_go_duration(_str(duration, "duration"))
    except ValueError as exc:
        raise FunctionError(str(exc)) from None
    result = moment + timedelta(microseconds=nanoseconds // 1000)
    text = result.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _disabled(message):
    def fail(*_args):
        raise FunctionError(message)

    return fail


_UNSUPPORTED = "is not implemented by devagent's jobspec parser"

FUNCTIONS = {
    "abs": _abs, "base64decode": _base64decode, "base64encode": _base64encode,
    "bcrypt": _disabled(f"bcrypt {_UNSUPPORTED}"), "can": _can, "ceil": _ceil, "chomp": _chomp,
    "chunklist": _chunklist, "cidrhost": _cidrhost, "cidrnetmask": _cidrnetmask, "cidrsubnet": _cidrsubnet,
    "cidrsubnets": _cidrsubnets, "coalesce": _coalesce, "coalescelist": _coalescelist, "compact": _compact,
    "concat": _concat, "contains": _contains, "convert": _convert,
    "csvdecode": _csvdecode, "distinct": _distinct, "element": _element, "flatten": _flatten,
    "floor": _floor, "format": _format, "formatdate": _formatdate,
    "formatlist": _formatlist, "indent": _indent, "index": _index, "join": _join,
    "jsondecode": _jsondecode, "jsonencode": _jsonencode, "keys": _keys, "length": _length, "log": _log,
    "lookup": _lookup, "lower": lambda text: _str(text).lower(), "max": _max, "md5": _hash("md5"),
    "merge": _merge, "min": _min, "parseint": _parseint, "pow": _pow, "range": _range,
    "reverse": _strrev, "replace": _replace, "regex_replace": _regex_replace,
    "rsadecrypt": _disabled(f"rsadecrypt {_UNSUPPORTED}"), "setintersection": _setintersection,
    "setproduct": _setproduct, "setunion": _setunion, "sha1": _hash("sha1"), "sha256": _hash("sha256"),
    "sha512": _hash("sha512"), "signum": _signum, "slice": _slice, "sort": _sort, "split": _split,
    "strlen": _strlen, "strrev": _strrev, "substr": _substr,
    "timeadd": _timeadd, "title": _title, "trim": _trim,
    "trimprefix": _trimprefix, "trimspace": lambda text: _str(text).strip(), "trimsuffix": _trimsuffix,
    "try": _try, "upper": lambda text: _str(text).upper(), "urlencode": _urlencode, "uuidv4": _uuidv4,
    "uuidv5": _uuidv5, "values": _values, "yamldecode": _yamldecode, "yamlencode": _yamlencode,
    "zipmap": _zipmap,
}
# jobspec2 guards these with AllowFS, which Nomad's parse endpoint sets to false.
for _name in ("abspath", "basename", "dirname", "file", "filebase64", "fileexists", "fileset", "pathexpand"):
    FUNCTIONS[_name] = _disabled("filesystem function disabled")
