using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metal3.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_tokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_tokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "host_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostName = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Time = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    FromState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ToState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "hosts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    BootMacAddress = table.Column<string>(type: "TEXT", maxLength: 17, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OperationalStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ResourceVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Spec = table.Column<string>(type: "TEXT", nullable: false),
                    BmcPasswordProtected = table.Column<string>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    DeletionRequestedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RebootRequestedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    InspectRequestedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Detached = table.Column<bool>(type: "INTEGER", nullable: false),
                    NextReconcileAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LeaseExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hosts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "host_labels",
                columns: table => new
                {
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 317, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_labels", x => new { x.HostId, x.Key });
                    table.ForeignKey(
                        name: "FK_host_labels_hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_tokens_Sha256",
                table: "api_tokens",
                column: "Sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_host_events_HostId_Id",
                table: "host_events",
                columns: new[] { "HostId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_host_labels_Key_Value",
                table: "host_labels",
                columns: new[] { "Key", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_hosts_BootMacAddress",
                table: "hosts",
                column: "BootMacAddress",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hosts_Name",
                table: "hosts",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hosts_NextReconcileAt",
                table: "hosts",
                column: "NextReconcileAt");

            migrationBuilder.CreateIndex(
                name: "IX_hosts_State",
                table: "hosts",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "host_events");

            migrationBuilder.DropTable(
                name: "host_labels");

            migrationBuilder.DropTable(
                name: "hosts");
        }
    }
}
