using System.Text.Json;
using Metal3.Core.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Metal3.Data.Configurations;

/// <summary>Maps a record to a JSON text column (jsonb on PostgreSQL, TEXT on SQLite).</summary>
internal static class JsonColumn
{
    public static PropertyBuilder<T> AsJson<T>(this PropertyBuilder<T> property, bool isPostgres) where T : class?
    {
        property.HasConversion(
                v => JsonSerializer.Serialize(v, Metal3Json.Options),
                s => JsonSerializer.Deserialize<T>(s, Metal3Json.Options)!,
                // The mapped types are immutable records: a change is always a new instance, so the snapshot can be
                // the instance itself and record equality (reference equality for their collections) is exact.
                new ValueComparer<T>(
                    (a, b) => ReferenceEquals(a, b) || (a != null && a.Equals(b)),
                    v => v == null ? 0 : v.GetHashCode(),
                    v => v));
        if (isPostgres)
        {
            property.HasColumnType("jsonb");
        }
        return property;
    }
}
