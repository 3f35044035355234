using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RfmScores : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cdp_rfm_runs",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ScoredAt = table.Column<long>(type: "bigint", nullable: false),
                    Customers = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cdp_rfm_runs", x => x.WorkspaceId);
                });

            migrationBuilder.CreateTable(
                name: "cdp_rfm_scores",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CustomerExternalId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    R = table.Column<int>(type: "integer", nullable: false),
                    F = table.Column<int>(type: "integer", nullable: false),
                    M = table.Column<int>(type: "integer", nullable: false),
                    Group = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    GroupSince = table.Column<long>(type: "bigint", nullable: false),
                    ScoredAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cdp_rfm_scores", x => new { x.WorkspaceId, x.CustomerExternalId });
                });

            migrationBuilder.CreateTable(
                name: "cdp_rfm_transitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CustomerExternalId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    FromGroup = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ToGroup = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cdp_rfm_transitions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cdp_rfm_scores_WorkspaceId_Group",
                table: "cdp_rfm_scores",
                columns: new[] { "WorkspaceId", "Group" });

            migrationBuilder.CreateIndex(
                name: "IX_cdp_rfm_transitions_WorkspaceId_CustomerExternalId_At",
                table: "cdp_rfm_transitions",
                columns: new[] { "WorkspaceId", "CustomerExternalId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cdp_rfm_runs");

            migrationBuilder.DropTable(
                name: "cdp_rfm_scores");

            migrationBuilder.DropTable(
                name: "cdp_rfm_transitions");
        }
    }
}
