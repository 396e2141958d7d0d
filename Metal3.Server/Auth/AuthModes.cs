using System.Text.Encodings.Web;
using Metal3.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Metal3.Server.Auth;

public static class AuthModes
{
    public const string Token = "token";
    public const string None = "none";
}
