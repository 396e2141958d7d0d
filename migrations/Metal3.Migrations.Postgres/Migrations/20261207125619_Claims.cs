using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Metal3.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Claims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ConsumerRef",
                table: "hosts",
                type: "character varying(253)",
                maxLength: 253,
                nullable: true);

            // Hosts enrolled before this column mirror Spec.ConsumerRef: copy it, so a claim never takes a host an operator holds.
            migrationBuilder.Sql("""UPDATE hosts SET "ConsumerRef" = "Spec"->>'consumerRef';""");

            migrationBuilder.CreateTable(
                name: "claim_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ClaimId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClaimName = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    Time = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Message = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    HostName = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_claim_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "claims",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ResourceVersion = table.Column<long>(type: "bigint", nullable: false),
                    Spec = table.Column<string>(type: "jsonb", nullable: false),
                    Phase = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    HostId = table.Column<Guid>(type: "uuid", nullable: true),
                    HostName = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    Message = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    DeletionRequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_claims", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "claim_labels",
                columns: table => new
                {
                    ClaimId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(317)", maxLength: 317, nullable: false),
                    Value = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_claim_labels", x => new { x.ClaimId, x.Key });
                    table.ForeignKey(
                        name: "FK_claim_labels_claims_ClaimId",
                        column: x => x.ClaimId,
                        principalTable: "claims",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_claim_events_ClaimId_Id",
                table: "claim_events",
                columns: new[] { "ClaimId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_claim_labels_Key_Value",
                table: "claim_labels",
                columns: new[] { "Key", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_claims_HostId",
                table: "claims",
                column: "HostId",
                unique: true,
                filter: "\"HostId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_claims_Name",
                table: "claims",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_claims_Phase_CreatedAt",
                table: "claims",
                columns: new[] { "Phase", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "claim_events");

            migrationBuilder.DropTable(
                name: "claim_labels");

            migrationBuilder.DropTable(
                name: "claims");

            migrationBuilder.DropColumn(
                name: "ConsumerRef",
                table: "hosts");
        }
    }
}
