module example.com/../x
