resource "aws_iam_role" "ec2_s3_access_role" {
  name = "ec2-s3-access-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "s3_read" {
  role = aws_iam_role.ec2_s3_access_role.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObjekt", "s3:ListBucket"]
      Resource = ["arn:aws:s3:::my-bucket", "${aws_s3_bucket.b.arn}/*"]
    }]
  })
}
