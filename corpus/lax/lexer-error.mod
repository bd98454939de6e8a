module example.com/dep
/* no */
