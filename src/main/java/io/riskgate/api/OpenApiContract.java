package io.riskgate.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * What every operation of the published OpenAPI document has in common, added once here rather than on each
 * controller method (issue 16): the two ways to authenticate (a riskgate API key, an OIDC access token, both sent as
 * {@code Authorization: Bearer}) required by every operation, a tag by capability (the path's first segment after
 * {@code /api/v1}), the error answers every operation can give, each an RFC 9457 problem+json ({@code Problem},
 * with {@code errors} listing every bad field of a 400), and the named schemas of the bodies the controllers read as
 * JSON themselves ({@link RequestBodies}).
 */
@Component
class OpenApiContract implements OpenApiCustomizer {

    static final String API_KEY = "apiKey";
    static final String OIDC = "oidc";
    static final String PROBLEM = "Problem";

    /**
     * The operations that answer 409 because the current state forbids what was asked, with the state in the detail
     * (an {@code io.riskgate.errors.ConflictException} on their path): a clientOrderId reused for another order, a fill
     * or cancel of a decision that cannot take it, a close of a closed trade, a breaker reset with none active, an
     * instruction acknowledged twice, an account assigned to a policy that is not loaded, a kill switch reset that is not
     * in force, the report of a replay still running, a key named as an active one, a key revoked twice. Each is driven
 * by a REST test.
     */
    static final java.util.Set<String> CONFLICTS = java.util.Set.of(
            "POST /api/v1/checks", "POST /api/v1/trades", "POST /api/v1/trades/{id}/close",
            "POST /api/v1/decisions/{id}/cancel", "POST /api/v1/accounts/{id}/breaker",
            "POST /api/v1/accounts/{id}/instructions/{iid}/ack", "GET /api/v1/accounts/{id}/policy",
            "POST /api/v1/firm/kill-switch", "GET /api/v1/replays/{id}/report", "GET /api/v1/replays/{id}/decisions",
            "GET /api/v1/replays/{id}/compare", "POST /api/v1/keys", "DELETE /api/v1/keys/{id}");
    /** The operations that compile a policy and answer 422 with every problem when it is refused. */
    static final java.util.Set<String> POLICY_REFUSALS = java.util.Set.of(
            "POST /api/v1/policies/reload", "POST /api/v1/policies/what-if", "POST /api/v1/policies/validate");

    /** The tag of each capability, by the path's first segment after /api/v1, with what it groups. */
    static final Map<String, String[]> TAGS = tags();

    private static Map<String, String[]> tags() {
        Map<String, String[]> t = new LinkedHashMap<>();
        t.put("checks", new String[] {"Checks", "Pre-trade checks: approve or reject, sized, with the rules that fired"});
        t.put("decisions", new String[] {"Decisions", "The audited decisions: look up, search, cancel an approval"});
        t.put("trades", new String[] {"Trades", "Fills and closes of approved orders"});
        t.put("marks", new String[] {"Exits", "Price marks and the exit instructions they give"});
        t.put("accounts", new String[] {"Accounts", "Accounts: equity, state, breakers, locks, policy, risk"});
        t.put("events", new String[] {"Accounts", null});
        t.put("policies", new String[] {"Policies",
            "Policies in force, their versions, validation, what-if and reloads"});
        t.put("firm", new String[] {"Firm", "Firm-wide limits and kill switches"});
        t.put("market", new String[] {"Market data", "OHLCV bars the analytics are computed from"});
        t.put("audit", new String[] {"Audit", "The audit chain: head, verification, exports"});
        t.put("replays", new String[] {"Replays", "Replays of history through a policy"});
        t.put("keys", new String[] {"Keys", "API keys, and who the caller is"});
        t.put("me", new String[] {"Keys", null});
        return t;
    }

    @Override
    public void customise(OpenAPI api) {
        api.info(new io.swagger.v3.oas.models.info.Info().title("riskgate API").version("v1")
                .description("Pre-trade risk checks, fills and exits, the risk governor, policies and the audit "
                        + "log of riskgate. Every operation needs a credential (docs/security.md); every error is "
                        + "problem+json."));
        // relative: the document describes the server that serves it, wherever that is deployed
        api.servers(List.of(new io.swagger.v3.oas.models.servers.Server().url("/")
                .description("the riskgate that serves this document")));
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.setComponents(components);
        components.addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("A riskgate API key (rg_...), made by an ADMIN (POST /api/v1/keys or 'riskgate keys "
                        + "create'): Authorization: Bearer rg_..."));
        components.addSecuritySchemes(OIDC, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .bearerFormat("JWT").description("An OIDC access token from the configured issuer, its roles and "
                        + "accounts in its claims (docs/security.md)"));
        components.addSchemas("FieldError", new ObjectSchema().description("One bad field of a request")
                .addProperty("field", new StringSchema().description("the field's JSON path, e.g. signal.confidence"))
                .addProperty("message", new StringSchema().description("what is wrong with it, and what is allowed"))
                .required(List.of("field", "message")));
        components.addSchemas("PolicyProblem", new ObjectSchema().description("One problem of a refused policy")
                .addProperty("file", new StringSchema().description("the policy or rule file, e.g. default.yaml"))
                .addProperty("path", new StringSchema().description("the key, e.g. filters.min_confidence"))
                .addProperty("line", new IntegerSchema().description("the line in the file; 0 when unknown"))
                .addProperty("message", new StringSchema().description("what is wrong, and what is allowed"))
                .required(List.of("file", "path", "line", "message")));
        components.addSchemas(PROBLEM, new ObjectSchema().description("An error answer (RFC 9457 problem+json)")
                .addProperty("type", new StringSchema().format("uri").example(ProblemJson.TYPE_BASE + "400"))
                .addProperty("title", new StringSchema().example("Bad request"))
                .addProperty("status", new IntegerSchema().example(400))
                .addProperty("detail", new StringSchema().description("what went wrong, in a sentence"))
                .addProperty("instance", new StringSchema().format("uri-reference")
                        .description("the request's path"))
                .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/FieldError"))
                        .description("400: every bad field of the request, not only the first"))
                .addProperty("problems", new ArraySchema().items(new Schema<>().$ref(
                        "#/components/schemas/PolicyProblem")).description("422: every problem of the refused policy"))
                .required(List.of("type", "title", "status")));
        List<SecurityRequirement> security = List.of(new SecurityRequirement().addList(API_KEY),
                new SecurityRequirement().addList(OIDC));
        if (api.getPaths() == null) {
            return;
        }
        java.util.Set<String> used = new java.util.LinkedHashSet<>();
        api.getPaths().forEach((path, item) -> {
            if (!path.startsWith("/api/")) {
                return;
            }
            String[] tag = TAGS.get(firstSegment(path));
            for (Map.Entry<PathItem.HttpMethod, Operation> e : item.readOperationsMap().entrySet()) {
                Operation op = e.getValue();
                RequestBodies.Body body = RequestBodies.BY_OPERATION.get(e.getKey() + " " + path);
                if (body != null) {
                    components.addSchemas(body.name(), body.schema());
                    op.setRequestBody(new io.swagger.v3.oas.models.parameters.RequestBody()
                            .required(!body.required().isEmpty()).content(new Content().addMediaType(
                                    org.springframework.http.MediaType.APPLICATION_JSON_VALUE, new MediaType().schema(
                                            new Schema<>().$ref("#/components/schemas/" + body.name())))));
                }
                op.setSecurity(security);
                if (tag != null) {
                    op.setTags(List.of(tag[0]));
                    used.add(tag[0]);
                }
                ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
                op.setResponses(responses);
                problem(responses, "400", "Invalid request: every problem listed (errors)");
                problem(responses, "401", "No credential, or one riskgate does not accept");
                problem(responses, "403", "The caller's role or accounts do not allow this");
                problem(responses, "429", "Too many requests for this caller: retry after the Retry-After header");
                if (path.contains("{")) {
                    problem(responses, "404", "No such resource");
                }
                String operation = e.getKey() + " " + path;
                if (CONFLICTS.contains(operation)) {
                    problem(responses, "409", "The current state does not allow this: the detail says which state");
                }
                if (POLICY_REFUSALS.contains(operation)) {
                    problem(responses, "422", "The policy was refused: every problem listed (problems); nothing "
                            + "changed");
                }
                if (op.getRequestBody() != null) {
                    problem(responses, "413", "The request body is larger than riskgate accepts");
                    problem(responses, "415", "The request body is not application/json");
                }
            }
        });
        TAGS.values().stream().filter(t -> t[1] != null && used.contains(t[0])).forEach(t -> api.addTagsItem(
                new io.swagger.v3.oas.models.tags.Tag().name(t[0]).description(t[1])));
    }

    /** The path's first segment after /api/v1: {@code /api/v1/accounts/{id}/state} is {@code accounts}. */
    static String firstSegment(String path) {
        String rest = path.replaceFirst("^/api/v1/", "");
        int slash = rest.indexOf('/');
        return (slash < 0 ? rest : rest.substring(0, slash)).toLowerCase(Locale.ROOT);
    }

    private static void problem(ApiResponses responses, String status, String description) {
        if (responses.containsKey(status)) {
            return;
        }
        responses.addApiResponse(status, new ApiResponse().description(description).content(new Content()
                .addMediaType(ProblemJson.CONTENT_TYPE, new MediaType().schema(
                        new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
    }
}
