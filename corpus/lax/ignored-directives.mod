module example.com/dep

go 1.21.0-custom

toolchain junk
godebug nonsense
exclude a
replace x
frobnicate it
foo bar (
	x
)
tool a b c
retract (v9 junk
retract [v1.0.0
require example.com/leaf v1.0
ignore ./x
