module "user" {
  source   = "./modules/user"
  for_each = var.users

  name      = each.key
  email     = each.value.email
  base_role = each.value.base_role
  time_zone = each.value.time_zone
  tag_count = length(each.value.tag_names)
  tag_ids   = [for tag_name in each.value.tag_names : pagerduty_tag.tag[tag_name].id]
}
