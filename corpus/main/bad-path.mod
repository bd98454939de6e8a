module example.com/a@v1
