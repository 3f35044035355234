using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Presales : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "promo_presale_deposits",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PresaleId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Sku = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    Amount = table.Column<long>(type: "bigint", nullable: false),
                    PaymentId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    PaidAt = table.Column<long>(type: "bigint", nullable: false),
                    SettledAt = table.Column<long>(type: "bigint", nullable: true),
                    OrderId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_presale_deposits", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "promo_presales",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Skus = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Price = table.Column<long>(type: "bigint", nullable: false),
                    Deposit = table.Column<long>(type: "bigint", nullable: false),
                    DepositValue = table.Column<long>(type: "bigint", nullable: false),
                    DepositStartsAt = table.Column<long>(type: "bigint", nullable: false),
                    DepositEndsAt = table.Column<long>(type: "bigint", nullable: false),
                    BalanceStartsAt = table.Column<long>(type: "bigint", nullable: false),
                    BalanceEndsAt = table.Column<long>(type: "bigint", nullable: false),
                    Unpaid = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ThresholdBasis = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Stock = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_presales", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_promo_presale_deposits_PresaleId_CustomerId",
                table: "promo_presale_deposits",
                columns: new[] { "PresaleId", "CustomerId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_promo_presale_deposits_State_PresaleId",
                table: "promo_presale_deposits",
                columns: new[] { "State", "PresaleId" });

            migrationBuilder.CreateIndex(
                name: "IX_promo_presale_deposits_WorkspaceId_CustomerId_State",
                table: "promo_presale_deposits",
                columns: new[] { "WorkspaceId", "CustomerId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_promo_presales_WorkspaceId_CreatedAt",
                table: "promo_presales",
                columns: new[] { "WorkspaceId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "promo_presale_deposits");

            migrationBuilder.DropTable(
                name: "promo_presales");
        }
    }
}
