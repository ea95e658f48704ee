// The view's door to the shared formatting: the functions live in app/common/format.ts (server code, such as
// alert texts, formats with them too and never imports from app/components).
export { formatAddress, formatDate, formatDateTime, SHOP_TIME_ZONE, SHOP_TIME_ZONE_LABEL, type AddressParts } from "~/common/format";
