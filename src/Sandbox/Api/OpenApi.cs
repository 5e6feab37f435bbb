using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Api;

/// <summary>
/// A minimal OpenAPI v3 surface: one document per group-version that lists each resource's PATCH operation with the
/// <c>fieldValidation</c> parameter, so kubectl validates on the server side instead of downloading full schemas.
/// Schemas themselves are not served (and fields are not validated), and strategic merge patch is not advertised, so
/// kubectl builds its apply patches from its compiled-in types.
/// </summary>
internal sealed class OpenApi
{
    private readonly ResourceCatalog catalog;

    public OpenApi(ResourceCatalog catalog) => this.catalog = catalog;

    public JsonObject Root()
    {
        var paths = new JsonObject();
        foreach (var group in catalog.All().GroupBy(t => (t.Group, t.Version)))
        {
            var path = GroupVersionPath(group.Key.Group, group.Key.Version);
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Document(group.Key.Group, group.Key.Version)!.ToJsonString())))[..16];
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public JsonObject? Document(string group, string version)
    {
        var types = catalog.All().Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
            return null;
        var paths = new JsonObject();
        foreach (var type in types)
        {
            var prefix = "/" + GroupVersionPath(group, version) + (type.Namespaced ? "/namespaces/{namespace}" : "");
            paths[$"{prefix}/{type.Plural}/{{name}}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = type.Kind },
                    ["x-kubernetes-action"] = "patch",
                    ["operationId"] = $"patch{type.Kind}",
                    ["parameters"] = new JsonArray(
                        Parameter("dryRun"), Parameter("fieldManager"), Parameter("fieldValidation"), Parameter("force")),
                    ["requestBody"] = new JsonObject
                    {
                        ["content"] = new JsonObject
                        {
                            [Patches.JsonPatch] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                            [Patches.MergePatch] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                        },
                        ["required"] = true,
                    },
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (Thoras sandbox)", ["version"] = "v1.35.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static string GroupVersionPath(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    private static JsonObject Parameter(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
