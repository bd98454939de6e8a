module "example.com/\q"
