people = {
  "lia.moura@example.com" = {
    display_name = "Lia Moura"
  }
  "rui.paz@example.com" = {
    display_name = "Rui Paz"
    zone         = "America/Bogota"
  }
}

rotas = {
  evenings = {
    name = "Evening Cover"
    layers = [
      {
        name = "Weeknights"
        members = {
          first  = "lia.moura@example.com"
          second = "rui.paz@example.com"
        }
        window = [{ type = "daily_restriction", duration_seconds = 14400 }]
      }
    ]
  }
  weekends = {
    name = "Weekend Cover"
    layers = [
      {
        name  = "Saturday to Monday"
        start = "2024-03-09T08:00:00Z"
        members = {
          a = "rui.paz@example.com"
        }
      },
      {
        name    = "No window"
        members = { b = "lia.moura@example.com" }
        window  = [{ enabled = false }]
      }
    ]
  }
}

services = {
  storefront = {
    levels = {
      first = {
        targets = [{ target = "evenings" }, { target = "weekends" }]
      }
      second = {
        escalation_delay_in_minutes = 30
        targets = [{ type = "user_reference", target = "lia.moura@example.com" }]
      }
    }
  }
}
