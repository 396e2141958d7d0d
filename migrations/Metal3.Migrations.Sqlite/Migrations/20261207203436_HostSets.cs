using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metal3.Migrations.Sqlite.Migrations
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HostSetName",
                table: "claims",
                type: "TEXT",
                maxLength: 63,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TemplateHash",
                table: "claims",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "host_set_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HostSetId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostSetName = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Time = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ClaimName = table.Column<string>(type: "TEXT", maxLength: 63, nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_set_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "host_sets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ResourceVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    ClaimsRevision = table.Column<long>(type: "INTEGER", nullable: false),
                    Spec = table.Column<string>(type: "TEXT", nullable: false),
                    TemplateHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DeletionRequestedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
