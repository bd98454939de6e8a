module "example.com/quoted"

require "example.com/a" "v1.0.0"
replace "example.com/b" => "./b dir"
require example.com/\u00e9 v1.0.0
