using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Reports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ana_report_runs",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SubscriptionId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Trigger = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ScheduleKey = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    PeriodFrom = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    PeriodTo = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    FinishedAt = table.Column<long>(type: "bigint", nullable: true),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Html = table.Column<string>(type: "text", nullable: true),
                    Summary = table.Column<string>(type: "text", nullable: true),
                    FilePath = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    WebhookStatus = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    WebhookAttempts = table.Column<int>(type: "integer", nullable: false),
                    WebhookNextAt = table.Column<long>(type: "bigint", nullable: true),
                    WebhookError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ana_report_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ana_report_subscriptions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Cadence = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SendAt = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    Locale = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Background = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Goals = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Targets = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    WebhookUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    WebhookSecret = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    FileDrop = table.Column<bool>(type: "boolean", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    NextRunAt = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ana_report_subscriptions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ana_report_charts",
                columns: table => new
                {
                    RunId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Png = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ana_report_charts", x => new { x.RunId, x.Name });
                    table.ForeignKey(
                        name: "FK_ana_report_charts_ana_report_runs_RunId",
                        column: x => x.RunId,
                        principalTable: "ana_report_runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ana_report_runs_WebhookStatus_WebhookNextAt",
                table: "ana_report_runs",
                columns: new[] { "WebhookStatus", "WebhookNextAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ana_report_runs_WorkspaceId_ScheduleKey",
                table: "ana_report_runs",
                columns: new[] { "WorkspaceId", "ScheduleKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ana_report_runs_WorkspaceId_SubscriptionId_CreatedAt",
                table: "ana_report_runs",
                columns: new[] { "WorkspaceId", "SubscriptionId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ana_report_subscriptions_NextRunAt",
                table: "ana_report_subscriptions",
                column: "NextRunAt");

            migrationBuilder.CreateIndex(
                name: "IX_ana_report_subscriptions_WorkspaceId_Name",
                table: "ana_report_subscriptions",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ana_report_charts");

            migrationBuilder.DropTable(
                name: "ana_report_subscriptions");

            migrationBuilder.DropTable(
                name: "ana_report_runs");
        }
    }
}
