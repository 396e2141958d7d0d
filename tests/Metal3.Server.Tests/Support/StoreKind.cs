using System.Net.Http.Headers;
using Metal3.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Metal3.Server.Tests.Support;

public enum StoreKind { Sqlite, Postgres }
