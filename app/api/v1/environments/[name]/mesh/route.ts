// GET /api/v1/environments/{name}/mesh – the Istio objects of a Kubernetes namespace with a validation badge each (?namespace=&kind=&host=&badge=; mesh.policy.read in scope)
import { apiRoute, json, readQuery } from "@/lib/http/route";
import { listPolicies, PolicyListInput } from "@/lib/mesh/policies";

export const GET = apiRoute<{ name: string }>({}, async (req, { actor, params }) => json(await listPolicies(actor, params.name, readQuery(req, PolicyListInput))));
