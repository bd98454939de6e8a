module example.com/m
/* old style */
