using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Sqlite
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
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ScoredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Customers = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cdp_rfm_runs", x => x.WorkspaceId);
                });

            migrationBuilder.CreateTable(
                name: "cdp_rfm_scores",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CustomerExternalId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    R = table.Column<int>(type: "INTEGER", nullable: false),
                    F = table.Column<int>(type: "INTEGER", nullable: false),
                    M = table.Column<int>(type: "INTEGER", nullable: false),
                    Group = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    GroupSince = table.Column<long>(type: "INTEGER", nullable: false),
                    ScoredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cdp_rfm_scores", x => new { x.WorkspaceId, x.CustomerExternalId });
                });

            migrationBuilder.CreateTable(
                name: "cdp_rfm_transitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CustomerExternalId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    FromGroup = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ToGroup = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
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
