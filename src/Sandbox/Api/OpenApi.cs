using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Api;

/// <summary>
/// A minimal OpenAPI v3 surface: one document per group-version that lists each resource's PATCH operation with the
/// <c>fieldValidation</c> parameter, so kubectl validates on the server side instead of downloading full schemas, and
/// the schema of every custom resource version (its CRD's <c>openAPIV3Schema</c>, with <c>metadata</c> as ObjectMeta),
/// so <c>kubectl explain</c> works for them. Built-in kinds have no schemas, and strategic merge patch is not
/// advertised, so kubectl builds its apply patches from its compiled-in types.
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
        var schemas = new JsonObject();
        foreach (var type in types)
        {
            if (type.Schema is not null)
            {
                schemas[$"{string.Join('.', group.Split('.').Reverse())}.{version}.{type.Kind}"] = CustomSchema(type);
                schemas[ObjectMeta] ??= ObjectMetaSchema();
            }

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
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private const string ObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    /// <summary>A custom resource's schema as the API server publishes it: the CRD's, with the standard fields described.</summary>
    private static JsonObject CustomSchema(ResourceType type)
    {
        var schema = (JsonObject)type.Schema!.DeepClone();
        var properties = schema["properties"] as JsonObject ?? [];
        schema.Remove("properties");
        properties["apiVersion"] = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "APIVersion defines the versioned schema of this representation of an object.",
        };
        properties["kind"] = new JsonObject { ["type"] = "string", ["description"] = "Kind is a string value representing the REST resource this object represents." };
        properties["metadata"] = new JsonObject
        {
            ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/components/schemas/{ObjectMeta}" }),
            ["description"] = "Standard object's metadata.",
        };
        schema["properties"] = properties;
        schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = type.Group, ["kind"] = type.Kind, ["version"] = type.Version });
        return schema;
    }

    private static JsonObject ObjectMetaSchema()
    {
        JsonObject Field(string type, string description) => new() { ["type"] = type, ["description"] = description };
        JsonObject Map(string description) => new() { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" }, ["description"] = description };
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
            ["properties"] = new JsonObject
            {
                ["annotations"] = Map("Annotations is an unstructured key value map stored with a resource."),
                ["creationTimestamp"] = Field("string", "CreationTimestamp is a timestamp representing the server time when this object was created."),
                ["generation"] = Field("integer", "A sequence number representing a specific generation of the desired state."),
                ["labels"] = Map("Map of string keys and values that can be used to organize and categorize objects."),
                ["name"] = Field("string", "Name must be unique within a namespace."),
                ["namespace"] = Field("string", "Namespace defines the space within which each name must be unique."),
                ["resourceVersion"] = Field("string", "An opaque value that represents the internal version of this object."),
                ["uid"] = Field("string", "UID is the unique in time and space value for this object."),
            },
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
