using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PromotionsAndHolds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "promo_coupon_templates",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Definition = table.Column<string>(type: "text", nullable: false),
                    ValidFrom = table.Column<long>(type: "bigint", nullable: true),
                    ValidUntil = table.Column<long>(type: "bigint", nullable: true),
                    ValidDaysAfterClaim = table.Column<int>(type: "integer", nullable: true),
                    PerCustomerLimit = table.Column<int>(type: "integer", nullable: true),
                    TotalLimit = table.Column<int>(type: "integer", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_coupon_templates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "promo_coupons",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    TemplateId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ClaimedAt = table.Column<long>(type: "bigint", nullable: true),
                    ValidFrom = table.Column<long>(type: "bigint", nullable: true),
                    ValidUntil = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_coupons", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "promo_holds",
                columns: table => new
                {
                    ReservationId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ResourceKey = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_holds", x => new { x.ReservationId, x.ResourceKey });
                });

            migrationBuilder.CreateTable(
                name: "promo_promotions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Definition = table.Column<string>(type: "text", nullable: false),
                    Budget = table.Column<long>(type: "bigint", nullable: true),
                    PerCustomerLimit = table.Column<int>(type: "integer", nullable: true),
                    TotalLimit = table.Column<int>(type: "integer", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_promotions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "promo_reservations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false),
                    ClosedAt = table.Column<long>(type: "bigint", nullable: true),
                    OrderId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Details = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_reservations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "promo_resources",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Capacity = table.Column<long>(type: "bigint", nullable: false),
                    Held = table.Column<long>(type: "bigint", nullable: false),
                    Spent = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_resources", x => new { x.WorkspaceId, x.Key });
                });

            migrationBuilder.CreateIndex(
                name: "IX_promo_coupon_templates_WorkspaceId",
                table: "promo_coupon_templates",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_promo_coupons_TemplateId_Code",
                table: "promo_coupons",
                columns: new[] { "TemplateId", "Code" });

            migrationBuilder.CreateIndex(
                name: "IX_promo_coupons_WorkspaceId_Code",
                table: "promo_coupons",
                columns: new[] { "WorkspaceId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_promo_coupons_WorkspaceId_CustomerId",
                table: "promo_coupons",
                columns: new[] { "WorkspaceId", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_promo_promotions_WorkspaceId_Status",
                table: "promo_promotions",
                columns: new[] { "WorkspaceId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_promo_reservations_State_ExpiresAt",
                table: "promo_reservations",
                columns: new[] { "State", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_promo_reservations_WorkspaceId_IdempotencyKey",
                table: "promo_reservations",
                columns: new[] { "WorkspaceId", "IdempotencyKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "promo_coupon_templates");

            migrationBuilder.DropTable(
                name: "promo_coupons");

            migrationBuilder.DropTable(
                name: "promo_holds");

            migrationBuilder.DropTable(
                name: "promo_promotions");

            migrationBuilder.DropTable(
                name: "promo_reservations");

            migrationBuilder.DropTable(
                name: "promo_resources");
        }
    }
}
