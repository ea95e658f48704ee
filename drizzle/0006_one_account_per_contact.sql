-- One Zoho contact ↔ at most one portal account (issue 11). Before the unique index (next migration)
-- exists, every contact linked to several customers keeps ONE link: an admin's first, then one whose
-- owner verified their email, then the oldest.
-- The others go to review with the contact as their candidate (reason set by 0008), and the timeline says why.
with ranked as (
  select c.id, c.zoho_contact_id, c.zoho_contact_name,
    row_number() over (partition by zoho_contact_id
      order by (c.zoho_match_type = 'manual') desc,
        exists (select 1 from users u where u.id = c.user_id and u.email_verified_at is not null and lower(u.email) = lower(c.email)) desc,
        c.zoho_linked_at nulls last, c.created_at, c.id) as rn
  from customers c where c.zoho_contact_id is not null
), moved as (
  update customers c set
    zoho_sync_status = 'skipped',
    zoho_sync_error = 'The Zoho contact ' || r.zoho_contact_name || ' is already linked to another account; check which account it belongs to',
    zoho_sync_candidates = jsonb_build_array(jsonb_build_object('contactId', r.zoho_contact_id, 'contactName', r.zoho_contact_name, 'email', null, 'companyName', null)),
    zoho_contact_id = null, zoho_contact_name = null, zoho_match_type = null, zoho_linked_at = null, updated_at = now()
  from ranked r where c.id = r.id and r.rn > 1
  returning c.id, r.zoho_contact_id, r.zoho_contact_name
)
insert into zoho_sync_events (customer_id, action, outcome, error, details)
select id, 'migration', 'skipped', 'Zoho contact already linked to another account', jsonb_build_object('contactId', zoho_contact_id, 'contactName', zoho_contact_name)
from moved;
