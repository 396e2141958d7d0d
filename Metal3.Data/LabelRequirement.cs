using Metal3.Core.Provisioning;
using Metal3.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Metal3.Data;

/// <summary>A label selector term: <c>key=value</c>, <c>key!=value</c>, <c>key</c> (exists) or <c>!key</c> (absent).</summary>
public sealed record LabelRequirement(string Key, string? Value, bool Negated);
