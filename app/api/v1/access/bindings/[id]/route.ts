// DELETE /api/v1/access/bindings/{id} – remove a role binding (admin)
import { deleteBinding } from "@/lib/access/delete-binding";
import { apiRoute, json } from "@/lib/http/route";

export const DELETE = apiRoute<{ id: string }>({}, async (_req, { actor, meta, params }) => json(await deleteBinding.execute(actor, { id: params.id }, meta)));
