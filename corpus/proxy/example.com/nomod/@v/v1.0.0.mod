module example.com/nomod
