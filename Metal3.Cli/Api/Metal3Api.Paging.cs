using Metal3.Contracts.Api;

namespace Metal3.Cli.Api;

public sealed partial class Metal3Api
{
    /// <summary>Every item of a list whose items' labels match, following <c>continue</c> until the last page.</summary>
    private async Task<IReadOnlyList<Received<T>>> ListAllAsync<T>(string path, string? labelSelector, string resource, CancellationToken ct)
        where T : class
    {
        var items = new List<Received<T>>();
        string? next = null;
        do
        {
            var query = Add(Add([], "labelSelector", labelSelector), "continue", next);
            var page = Typed((await SendAsync(HttpMethod.Get, path + QueryString(query), null, null, null, ct)).Object,
                DaemonJson.Shape<ListResponse<T>>(), resource);
            items.AddRange(Items(page.Value.Items, page.Json));
            next = page.Value.Continue;
        }
        while (!string.IsNullOrEmpty(next));
        return items;
    }
}
