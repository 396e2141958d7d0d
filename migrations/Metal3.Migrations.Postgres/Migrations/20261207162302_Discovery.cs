using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metal3.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Discovery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "discovered_machines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(17)", maxLength: 17, nullable: false),
                    Macs = table.Column<string>(type: "jsonb", nullable: false),
                    Inventory = table.Column<string>(type: "jsonb", nullable: true),
                    BmcAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ReportedFrom = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    FirstSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_discovered_machines", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_discovered_machines_Key",
                table: "discovered_machines",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_discovered_machines_LastSeenAt",
                table: "discovered_machines",
                column: "LastSeenAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "discovered_machines");
        }
    }
}
