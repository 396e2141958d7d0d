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
                // Records compare collections by reference; compare what is stored instead.
                new ValueComparer<T>(
                    (a, b) => JsonSerializer.Serialize(a, Metal3Json.Options) == JsonSerializer.Serialize(b, Metal3Json.Options),
                    v => JsonSerializer.Serialize(v, Metal3Json.Options).GetHashCode(StringComparison.Ordinal),
                    v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Metal3Json.Options), Metal3Json.Options)!));
        if (isPostgres)
        {
            property.HasColumnType("jsonb");
        }
        return property;
    }
}
