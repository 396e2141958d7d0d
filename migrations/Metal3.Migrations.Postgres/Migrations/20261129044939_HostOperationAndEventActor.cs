using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Metal3.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class HostOperationAndEventActor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Operation",
                table: "hosts",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Actor",
                table: "host_events",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Operation",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "Actor",
                table: "host_events");
        }
    }
}
