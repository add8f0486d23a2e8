"""`deployer ui`: a small local web app showing the live topology."""
