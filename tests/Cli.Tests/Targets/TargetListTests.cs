using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit;

namespace Thoras.Cli.Tests.Targets;

public sealed class TargetListTests(TargetApiFixture app) : IClassFixture<TargetApiFixture>
{
    private async Task<JsonElement> ListAsync(string query)
    {
        var response = await app.Http.GetAsync(new Uri("/api/targets" + query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync()).GetProperty("targets");
    }

    [Fact]
    public async Task GetTargets_NamespaceQuery_ListsOnlyThatNamespace()
    {
        var shop = await app.NewNamespaceAsync();
        var other = await app.NewNamespaceAsync();
        await app.CreateTargetAsync(shop);
        await app.CreateTargetAsync(other);

        var listed = await ListAsync("?namespace=" + shop);

        Assert.Equal([shop], listed.EnumerateArray().Select(t => t.GetProperty("namespace").GetString()));
    }

    [Theory]
    [InlineData("?namespace=Not_A_Namespace", "Invalid namespace")]
    [InlineData("?namespace=a&namespace=b", "Repeated query parameter")]
    public async Task GetTargets_BadNamespaceQuery_Refuses400(string query, string title)
    {
        var response = await app.Http.GetAsync(new Uri("/api/targets" + query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(title, JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task GetTargets_TargetWithConditions_ShowsThem()
    {
        var ns = await app.NewNamespaceAsync();
        await app.CreateTargetAsync(ns);
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Scaling", ["status"] = "False", ["reason"] = "Paused", ["message"] = "paused by manual",
                    ["lastTransitionTime"] = "2026-03-15T12:00:00Z",
                }),
            },
        };
        await app.Cluster.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), "thoras.ai", "v1", ns, "aiscaletargets", "web");

        var condition = Assert.Single((await ListAsync("?namespace=" + ns))[0].GetProperty("conditions").EnumerateArray());

        Assert.Equal(("Scaling", "False", "Paused"), (condition.GetProperty("type").GetString(), condition.GetProperty("status").GetString(), condition.GetProperty("reason").GetString()));
    }
}
