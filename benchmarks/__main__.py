from __future__ import annotations

from benchmarks.excel_upload import main

raise SystemExit(main())
