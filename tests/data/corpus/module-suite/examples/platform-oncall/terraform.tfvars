team_name = "Core Platform"

users = [
  { name = "Zara Pell", email = "zara.pell@example.com.au" },
  { name = "Yuri Stone", email = "yuri.stone@example.com.au" },
  { name = "Xena Holt", email = "xena.holt@example.com.au", existing = true },
]
