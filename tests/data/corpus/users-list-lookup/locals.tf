locals {
  users = {
    "kofi.mensah@example.jp" = {
      name  = "kofi mensah",
      role  = "admin",
      teams = ["checkout", "catalog", "gateway"],
    },
    "aiko.sato@example.jp" = {
      name  = "aiko sato",
      role  = "user",
      teams = ["catalog"],
    },
  }
  teams = [
    "checkout",
    "catalog",
    "gateway",
  ]
  services = {
    "checkout" = {
      associated_team = "checkout",
    },
    "catalog" = {
      associated_team = "catalog",
    },
  }
}
