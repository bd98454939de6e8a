module "example.com/m
"
