module example.com/m
require ()
replace (
)
exclude ( // c
)
