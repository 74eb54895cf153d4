package traffic

import "math"

// histogram counts response times in buckets 5 % wide from 10 µs to over
// 100 s, enough for a p99 without keeping every time.
type histogram struct {
	counts [histBuckets]int64
	n      int64
}

const (
	histMin     = 1e-5
	histGrowth  = 1.05
	histBuckets = 340 // histMin × 1.05^340 ≈ 160 s
)

func (h *histogram) add(t float64, n int64) {
	i := 0
	if t > histMin {
		i = min(int(math.Log(t/histMin)/math.Log(histGrowth))+1, histBuckets-1)
	}
	h.counts[i] += n
	h.n += n
}

// quantile is the upper bound of the bucket holding the q quantile.
func (h *histogram) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := int64(math.Ceil(q * float64(h.n)))
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return histMin * math.Pow(histGrowth, float64(i))
		}
	}
	return histMin * math.Pow(histGrowth, histBuckets-1)
}
