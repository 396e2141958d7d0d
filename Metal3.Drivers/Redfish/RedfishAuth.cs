using System.Net.Http.Headers;
using System.Text;

namespace Metal3.Drivers.Redfish;

/// <summary>How requests to one BMC are authenticated right now.</summary>
internal abstract record RedfishAuth
{
    public abstract void Apply(HttpRequestMessage request);

    /// <summary>A Redfish session (<c>POST SessionService/Sessions</c>): one login, then a token on every request.</summary>
    public sealed record Session(string Token, string? Location) : RedfishAuth
    {
        public override void Apply(HttpRequestMessage request) => request.Headers.TryAddWithoutValidation("X-Auth-Token", Token);
        public override string ToString() => $"Session {{ Location = {Location} }}";
    }

    /// <summary>HTTP basic auth, for services without sessions (sushy-tools) or with every session slot taken.</summary>
    public sealed record Basic(string Username, string Password) : RedfishAuth
    {
        public override void Apply(HttpRequestMessage request) =>
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")));
        public override string ToString() => $"Basic {{ Username = {Username} }}";
    }
}
