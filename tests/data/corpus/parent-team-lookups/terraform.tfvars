teams = {
  "Flow" = {
    parent_name = "Platform"
    manager     = "gus@example.com"
    responders  = ["hal@example.com", "ida@example.com"]
  }
  "Edge" = {
    manager    = "ida@example.com"
    responders = ["jo@example.com"]
  }
}
