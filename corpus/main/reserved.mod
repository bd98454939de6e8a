module go
