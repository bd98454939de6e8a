module example.com/dep

go 1.22
retract v1.0.0 extra tokens
replace (
	bad block
)
require example.com/leaf v1.1.0
