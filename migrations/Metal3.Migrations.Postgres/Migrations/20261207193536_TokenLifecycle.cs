using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metal3.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TokenLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiresAt",
                table: "api_tokens",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastUsedAt",
                table: "api_tokens",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RevokedAt",
                table: "api_tokens",
                type: "timestamp with time zone",
                nullable: true);

            foreach (string statement in Metal3.Data.TokenNameBackfill.Statements)
            {
                migrationBuilder.Sql(statement);
            }

            migrationBuilder.CreateIndex(
                name: "IX_api_tokens_Name",
                table: "api_tokens",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_api_tokens_Name",
                table: "api_tokens");

            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "api_tokens");

            migrationBuilder.DropColumn(
                name: "LastUsedAt",
                table: "api_tokens");

            migrationBuilder.DropColumn(
                name: "RevokedAt",
                table: "api_tokens");
        }
    }
}
