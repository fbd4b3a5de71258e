SELECT "race", "Sex", fairkit_label, fairkit_decision, COUNT(*) AS fairkit_rows, SUM(fairkit_w) AS fairkit_weight, SUM(fairkit_w * fairkit_w) AS fairkit_weight2, SUM(CASE WHEN fairkit_w IS NULL THEN 1 ELSE 0 END) AS fairkit_weight_missing, SUM(CASE WHEN fairkit_w < 0 OR NOT isFinite(fairkit_w) THEN 1 ELSE 0 END) AS fairkit_weight_bad
FROM (
  SELECT toString("race") AS "race", toString("Sex") AS "Sex", toString("outcome") AS fairkit_label, CASE WHEN toFloat64("risk score") IS NULL THEN NULL WHEN NOT isFinite(toFloat64("risk score")) THEN 2 WHEN toFloat64("risk score") >= 0.5 THEN 1 ELSE 0 END AS fairkit_decision, toFloat64("w") AS fairkit_w
  FROM "analytics"."decisions" AS fairkit_input
  WHERE (("age" BETWEEN 18 AND 65) AND ("state" NOT IN ('NY', 'it\'s')) AND (lower("name") LIKE 'a%') AND ("name" ILIKE '%b') AND ((toFloat64("x") / toFloat64(2)) > 1.25) AND ("day" >= CAST('2026-01-01' AS Date)) AND ((CASE WHEN "flag" THEN 1 ELSE 0 END) = 1) AND ("y" IS NOT NULL) AND ((- "z") < (-3)))
) AS fairkit_cells
GROUP BY "race", "Sex", fairkit_label, fairkit_decision;
