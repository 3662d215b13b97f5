#!/usr/bin/env bash
# chart.sh RESULTS.tsv: an SVG bar chart of what each trap and interrupt
# path costs a guest (hypervisor minus native, instructions), GICv3 and
# GICv2 side by side, with the targets marked.
set -u
awk -F'\t' '
	($1 == "v3" || $1 == "v2") && $2 !~ /^boot/ && $2 != "mem_walk" {
		cost[$1, $2] = $4 - $3; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 }
		if ($4 - $3 > max) max = $4 - $3
	}
	END {
		target["hvc_null"] = 60; target["mmio_trap"] = 80; target["irq_latency"] = 100
		w = 640; left = 110; bar = 14; row = 44; h = 60 + n * row
		scale = (w - left - 80) / (max > 0 ? max : 1)
		printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", w, h
		printf "<text x=\"10\" y=\"20\" font-size=\"14\">Cost to the guest, instructions (hypervisor - native)</text>\n"
		printf "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"10\" fill=\"#4477aa\"/><text x=\"%d\" y=\"39\">GICv3</text>\n", left, left + 16
		printf "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"10\" fill=\"#ee8866\"/><text x=\"%d\" y=\"39\">GICv2</text>\n", left + 70, left + 86
		printf "<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"40\" stroke=\"#000\" stroke-dasharray=\"3,2\"/><text x=\"%d\" y=\"39\">target</text>\n", left + 140, left + 140, left + 146
		for (i = 1; i <= n; i++) {
			f = order[i]; y = 50 + (i - 1) * row
			printf "<text x=\"10\" y=\"%d\">%s</text>\n", y + bar + 4, f
			split("v3 v2", g, " "); split("#4477aa #ee8866", c, " ")
			for (j = 1; j <= 2; j++) {
				v = cost[g[j], f]; if (v < 0) v = 0
				printf "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", left, y + (j - 1) * (bar + 2), v * scale, bar, c[j]
				printf "<text x=\"%.1f\" y=\"%d\">%d</text>\n", left + v * scale + 4, y + (j - 1) * (bar + 2) + 11, cost[g[j], f]
			}
			if (f in target)
				printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" stroke-dasharray=\"3,2\"/>\n", left + target[f] * scale, y - 2, left + target[f] * scale, y + 2 * bar + 4
		}
		print "</svg>"
	}' "$1"
