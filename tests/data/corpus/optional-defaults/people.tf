resource "pagerduty_user" "person" {
  for_each = var.people

  name      = each.value["display_name"]
  email     = each.key
  role      = each.value["role"]
  time_zone = each.value["zone"]
}

data "pagerduty_user" "members" {
  for_each = toset(flatten([
    for rota_key, rota in var.rotas : [
      for layer_index, layer in rota.layers : [
        for email in values(layer.members) : email
      ]
    ]
  ]))

  email = each.value

  depends_on = [pagerduty_user.person]
}
