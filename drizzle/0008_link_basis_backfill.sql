-- Existing links get the basis they can prove (issue 11, docs/decisions/010-verified-linking.md):
-- an admin's link → admin; an email match or a contact we created → only if the customer's own email is
-- verified (else none: no order history until verified, see the trigger below).
update customers c set zoho_link_basis = case
    when c.zoho_match_type = 'manual' then 'admin'
    when c.zoho_match_type in ('email', 'adopted') then 'verified_email'
    else 'created' end
where c.zoho_contact_id is not null
  and (c.zoho_match_type = 'manual'
    or (c.zoho_match_type in ('email', 'adopted', 'created', 'upsert')
      and exists (select 1 from users u where u.id = c.user_id and u.email_verified_at is not null and lower(u.email) = lower(c.email))));
--> statement-breakpoint
-- A link made by name alone was never proven: it goes back to review with the contact as the suggestion.
with moved as (
  update customers set
    zoho_sync_status = 'skipped',
    zoho_review_reason = 'name_only',
    zoho_sync_error = 'Only the name matches the Zoho contact ' || zoho_contact_name || '; confirm the link if it is the same person',
    zoho_sync_candidates = jsonb_build_array(jsonb_build_object('contactId', zoho_contact_id, 'contactName', zoho_contact_name, 'email', null, 'companyName', null)),
    zoho_contact_id = null, zoho_contact_name = null, zoho_match_type = null, zoho_linked_at = null, updated_at = now()
  where zoho_contact_id is not null and zoho_match_type = 'name'
  returning id, zoho_sync_candidates -> 0 as candidate
)
insert into zoho_sync_events (customer_id, action, outcome, error, details)
select id, 'migration', 'skipped', 'A link made by name alone waits for an admin''s confirmation', candidate from moved;
--> statement-breakpoint
-- Why each customer already waiting for an admin waits.
update customers set zoho_review_reason = case
    when zoho_sync_status = 'skipped' and zoho_sync_error like '%already linked to another account%' then 'contact_already_linked'
    when zoho_sync_status = 'skipped' then 'several_matches'
    when zoho_sync_error = 'No matching contact found in Zoho Books' then 'no_match'
    when zoho_sync_error like 'Unlinked by an admin%' then 'unlinked'
    else 'sync_error' end
where zoho_sync_status in ('skipped', 'failed') and zoho_review_reason is null;
--> statement-breakpoint
-- The moment an owner proves their address, the links made on it (by email, or a contact we created for
-- it) count as proven. Kept in the database so every verification path (link, admin, script) does it.
create or replace function customers_prove_links_on_verification() returns trigger language plpgsql as $$
begin
  update customers c set zoho_link_basis = case when c.zoho_match_type in ('email', 'adopted') then 'verified_email' else 'created' end,
    updated_at = now()
  where c.user_id = new.id and c.zoho_contact_id is not null and c.zoho_link_basis is null
    and c.zoho_match_type in ('email', 'adopted', 'created', 'upsert') and lower(c.email) = lower(new.email);
  return new;
end $$;
--> statement-breakpoint
create trigger users_email_verified_proves_links
  after update of email_verified_at on users
  for each row when (old.email_verified_at is null and new.email_verified_at is not null)
  execute function customers_prove_links_on_verification();
