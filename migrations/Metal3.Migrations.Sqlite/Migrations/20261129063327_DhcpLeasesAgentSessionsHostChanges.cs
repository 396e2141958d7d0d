using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metal3.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DhcpLeasesAgentSessionsHostChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agent_sessions",
                columns: table => new
                {
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TokenSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TokenIssuedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CommandId = table.Column<long>(type: "INTEGER", nullable: false),
                    CommandKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    CommandJson = table.Column<string>(type: "TEXT", nullable: true),
                    CommandState = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    BytesWritten = table.Column<long>(type: "INTEGER", nullable: true),
                    BytesTotal = table.Column<long>(type: "INTEGER", nullable: true),
                    ResultJson = table.Column<string>(type: "TEXT", nullable: true),
                    LastHeartbeatAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agent_sessions", x => x.HostId);
                    table.ForeignKey(
                        name: "FK_agent_sessions_hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "dhcp_leases",
                columns: table => new
                {
                    Address = table.Column<long>(type: "INTEGER", nullable: false),
                    ClientKey = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    MacAddress = table.Column<string>(type: "TEXT", maxLength: 17, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dhcp_leases", x => x.Address);
                });

            migrationBuilder.CreateTable(
                name: "host_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostName = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    ResourceVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    Time = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_changes", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_agent_sessions_TokenSha256",
                table: "agent_sessions",
                column: "TokenSha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_dhcp_leases_ClientKey",
                table: "dhcp_leases",
                column: "ClientKey");

            migrationBuilder.CreateIndex(
                name: "IX_dhcp_leases_ExpiresAt",
                table: "dhcp_leases",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_host_changes_Time",
                table: "host_changes",
                column: "Time");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agent_sessions");

            migrationBuilder.DropTable(
                name: "dhcp_leases");

            migrationBuilder.DropTable(
                name: "host_changes");
        }
    }
}
