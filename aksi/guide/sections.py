"""The sections of the in-app user guide (Panduan). Each capability adds its own section."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    audience: str
    summary: str


# The guide is written in Bahasa Indonesia for the officers who use Aksi.
SECTIONS = [
    Section(
        "mulai",
        "Memulai: masuk, menu dan bahasa",
        "Semua pengguna",
        "Cara masuk dengan akun pribadi, membaca menu sesuai peran, dan mengganti bahasa.",
    ),
    Section(
        "keamanan-akun",
        "Keamanan akun: kata sandi dan verifikasi dua langkah",
        "Semua pengguna",
        "Mengganti kata sandi sementara, akun terkunci, dan kode dari aplikasi autentikator.",
    ),
    Section(
        "wilayah",
        "Menjelajah dan mencari wilayah",
        "Semua pengguna",
        "Pohon wilayah nasional menurut kode Kemendagri: provinsi sampai desa/kelurahan.",
    ),
    Section(
        "katalog",
        "Katalog indikator dan kerangka aksi",
        "Semua pengguna",
        "31 indikator layanan dengan definisi pembilang dan penyebut, serta 4+2 aksi konvergensi.",
    ),
    Section(
        "kelola-katalog",
        "Menyiapkan katalog tahun berikutnya",
        "Admin pusat",
        "Menyalin katalog ke tahun baru, mengubah definisi dan target, lalu menerbitkannya.",
    ),
]

SECTIONS += [
    Section(
        "isian-data",
        "Mengisi cakupan layanan per desa",
        "Operator kecamatan, puskesmas, PLKB, OPD",
        "Lembar isian per kecamatan: pembilang dan penyebut, simpan otomatis, pesan kesalahan.",
    ),
    Section(
        "verifikasi",
        "Mengirim dan memverifikasi data",
        "Operator, verifikator",
        "Kirim untuk verifikasi, kembalikan dengan alasan, verifikasi, buka kembali.",
    ),
    Section(
        "pengguna",
        "Mengelola pengguna, peran dan SK Penunjukan",
        "Admin daerah, admin pusat",
        "Membuat akun pribadi, memberi peran per wilayah, mencatat SK camat, "
        "membuat akun dari lembar Excel.",
    ),
    Section(
        "audit",
        "Log audit dan riwayat perubahan",
        "Admin daerah, admin pusat",
        "Siapa mengubah apa dan kapan: menyaring log, melihat riwayat akun, mengunduh CSV.",
    ),
]

SECTIONS += [
    Section(
        "peta",
        "Peta cakupan dan kemajuan",
        "Semua pengguna yang masuk",
        "Peta provinsi dan kabupaten/kota menurut cakupan indikator atau kemajuan pengisian; "
        "kisi petak bila batas wilayah belum diimpor.",
    ),
]

SECTIONS += [
    Section(
        "api",
        "API, pertukaran data DHIS2 dan webhook",
        "Admin daerah, admin pusat, pengelola sistem mitra",
        "Token akses pribadi, alamat API, kode elemen data dan wilayah, ringkasan impor, "
        "webhook saat laporan berubah status.",
    ),
]

SECTIONS += [
    Section(
        "dasbor",
        "Dasbor, scorecard dan unduhan",
        "Semua pengguna yang masuk",
        "Progres, ketepatan waktu laporan, cakupan terhadap target, peringkat wilayah sampai "
        "desa; scorecard berwarna; unduhan XLSX, CSV dan laporan PDF.",
    ),
    Section(
        "prevalensi",
        "Prevalensi stunting dan Aksi Publikasi",
        "Admin pusat, admin daerah dan masyarakat",
        "Membaca prevalensi survei dan e-PPGBM, mengimpor berkas dengan pemeriksaan per baris, "
        "dan halaman publik tanpa login.",
    ),
]

SECTIONS += [
    Section(
        "data-sasaran",
        "Data sasaran, penyebut, aturan validasi dan pengisian kecamatan",
        "Operator, admin daerah, admin pusat",
        "Mengisi dan mengunggah data sasaran, penyebut dari data sasaran, aturan validasi, "
        "siapa melapor apa, dan uji coba pengisian oleh kecamatan.",
    ),
    Section(
        "impor-sumber",
        "Impor dari e-PPGBM, BKKBN dan Dukcapil",
        "Operator, admin daerah, admin pusat",
        "Mengunggah ekspor sistem sumber: periksa dulu, lalu simpan; tata letak berkas.",
    ),
]

SECTIONS += [
    Section(
        "data-pendukung",
        "Data pendukung: posyandu, kader, PAUD, dana desa",
        "Operator kecamatan, puskesmas, PLKB, OPD; admin pusat",
        "Mengisi butir data pendukung per desa dan per kecamatan, lewat layar atau Excel; "
        "jawaban Ya/Tidak dan rupiah; aturan validasi atas data pendukung.",
    ),
]

SECTIONS += [
    Section(
        "dokumen",
        "Dokumen: regulasi dan publikasi",
        "Operator, verifikator, admin daerah",
        "Mencatat Perbup/Perwal, SK TPPS, publikasi dan berita acara setiap tahapan; unggah berkas "
        "atau tautan, menandai regulasi dicabut, riwayat perubahan.",
    ),
]

SECTIONS += [
    Section(
        "penilaian-kinerja",
        "Penilaian kinerja kab/kota",
        "Admin provinsi, tim teknis, panelis, kabupaten/kota",
        "Menyiapkan putaran penilaian, rubrik dan bobot, menugaskan panelis, mengisi nilai per "
        "sel, menghitung dan menerbitkan peringkat, prevalensi stunting di samping nilai, "
        "koreksi putaran (buka kembali, tarik terbitan, hapus draf), unduhan Excel.",
    ),
]

SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}
