using Metal3.Core.Provisioning;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Metal3.Data;

public sealed record HostListQuery(
    IReadOnlyList<LabelRequirement> Labels,
    IReadOnlyList<ProvisioningState> States,
    int Limit,
    string? AfterName);
