using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Metal3.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class HostSets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "HostSetId",
                table: "claims",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HostSetName",
                table: "claims",
                type: "character varying(63)",
                maxLength: 63,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TemplateHash",
                table: "claims",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "host_set_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HostSetId = table.Column<Guid>(type: "uuid", nullable: false),
                    HostSetName = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    Time = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Message = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    ClaimName = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_set_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "host_sets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ResourceVersion = table.Column<long>(type: "bigint", nullable: false),
                    ClaimsRevision = table.Column<long>(type: "bigint", nullable: false),
                    Spec = table.Column<string>(type: "jsonb", nullable: false),
                    TemplateHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DeletionRequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_sets", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_claims_HostSetId",
                table: "claims",
                column: "HostSetId");

            migrationBuilder.CreateIndex(
                name: "IX_host_set_events_HostSetId_Id",
                table: "host_set_events",
                columns: new[] { "HostSetId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_host_sets_Name",
                table: "host_sets",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "host_set_events");

            migrationBuilder.DropTable(
                name: "host_sets");

            migrationBuilder.DropIndex(
                name: "IX_claims_HostSetId",
                table: "claims");

            migrationBuilder.DropColumn(
                name: "HostSetId",
                table: "claims");

            migrationBuilder.DropColumn(
                name: "HostSetName",
                table: "claims");

            migrationBuilder.DropColumn(
                name: "TemplateHash",
                table: "claims");
        }
    }
}
